import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearEnd } from '../src/lib/end-reached';
import { PagedList, withAfter, type KeysetPage } from '../src/lib/paged-list';

/**
 * Keyset pages of 0..n-1 by `size` as the API pages (`next` null only after a short page), the
 * token being the last item held; records the reads.
 */
function source(n: number, size: number) {
  const reads: (string | undefined)[] = [];
  const fetchPage = (after: string | undefined): Promise<KeysetPage<number>> => {
    reads.push(after);
    const start = after === undefined ? 0 : Number(after) + 1;
    const items = Array.from(
      { length: Math.max(0, Math.min(size, n - start)) },
      (_, i) => start + i,
    );
    const last = items.at(-1);
    const next = last === undefined || items.length < size ? null : String(last);
    return Promise.resolve({ items, total: n, next });
  };
  return { reads, fetchPage };
}

describe('PagedList', () => {
  it('reads one page, then the next only when asked, sending `next` back as `after`', async () => {
    const { reads, fetchPage } = source(1200, 500);
    const added: number[] = [];
    const list = new PagedList(fetchPage, (items) => added.push(items.length));
    await list.more();
    assert.deepEqual(list.state(), {
      loaded: 500,
      total: 1200,
      loading: false,
      complete: false,
      pages: 1,
    });
    assert.deepEqual(reads, [undefined]);
    await list.more();
    assert.deepEqual(reads, [undefined, '499']);
    await list.all();
    assert.equal(list.state().complete, true);
    assert.deepEqual(
      list.items,
      Array.from({ length: 1200 }, (_, i) => i),
    );
    assert.deepEqual(added, [500, 500, 200]);
    await list.more();
    assert.equal(reads.length, 3, 'no read after the last page');
  });

  it('stops at `total` without reading the empty page after a full last page', async () => {
    const { reads, fetchPage } = source(1000, 500);
    const list = new PagedList(fetchPage);
    await list.all();
    assert.deepEqual(reads, [undefined, '499']);
    assert.equal(list.state().complete, true);
  });

  it('asks once for calls made while a page is being read', async () => {
    const { reads, fetchPage } = source(1000, 100);
    const list = new PagedList(fetchPage);
    await Promise.all([list.more(), list.more(), list.more()]);
    assert.equal(reads.length, 1);
    assert.equal(list.state().loaded, 100);
  });

  it('keeps what it holds when a read fails, and reads the same page again', async () => {
    let fail = true;
    const { reads, fetchPage } = source(300, 100);
    const list = new PagedList((after) => {
      if (after !== undefined && fail) {
        fail = false;
        return Promise.reject(new Error('503'));
      }
      return fetchPage(after);
    });
    await list.more();
    await assert.rejects(list.more(), /503/);
    assert.equal(list.state().loaded, 100);
    await list.all();
    assert.equal(list.state().loaded, 300);
    assert.deepEqual(reads, [undefined, '99', '199']);
  });

  it('adds nothing once stopped', async () => {
    const { fetchPage } = source(300, 100);
    const list = new PagedList(fetchPage);
    const pending = list.more();
    list.stop();
    await pending;
    await list.all();
    assert.equal(list.state().loaded, 0);
  });

  it('adds `after` to a path with or without a query', () => {
    assert.equal(withAfter('/a?limit=5', 'x+y='), '/a?limit=5&after=x%2By%3D');
    assert.equal(withAfter('/a', 'b'), '/a?after=b');
    assert.equal(withAfter('/a?limit=5', undefined), '/a?limit=5');
  });

  it('asks for the next page when the last row drawn is near the end of those held', () => {
    assert.equal(nearEnd(10, 500, 20), false);
    assert.equal(nearEnd(479, 500, 20), true);
    assert.equal(nearEnd(undefined, 0, 20), true, 'a filter that kept no loaded row');
    assert.equal(nearEnd(undefined, 100, 20), false, 'rows held, the list not measured yet');
  });
});
