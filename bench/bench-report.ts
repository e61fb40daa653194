/** Writes one benchmark's section of bench/README.md, between markers named after it. */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';

export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function writeSection(name: string, body: string): void {
  const path = 'bench/README.md';
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const section = `${begin}\n${body.trim()}\n${end}`;
  const pattern = new RegExp(`${begin}[\\s\\S]*?${end}`);
  writeFileSync(
    path,
    pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`,
  );
}
