/**
 * A person's verdict on a result: thumbs up or down and a comment, saved with
 * PUT /api/results/:id/rating. Says whether the judge (the assertions) agrees.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Rating } from '../api/types';
import { errorText } from '../use-api';

export function RatingControl({
  resultId,
  rating,
  onRated,
}: {
  resultId: string;
  rating: Rating | undefined;
  onRated: (rating: Rating) => void;
}) {
  const [comment, setComment] = useState(rating?.comment ?? '');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setComment(rating?.comment ?? ''), [resultId, rating?.comment]);

  const save = (thumb: 'up' | 'down') => {
    setBusy(true);
    setMessage('');
    api<Rating>(`/api/results/${encodeURIComponent(resultId)}/rating`, {
      method: 'PUT',
      body: { thumb, comment },
    }).then(
      (saved) => {
        setBusy(false);
        setMessage('Saved.');
        onRated(saved);
      },
      (e: unknown) => {
        setBusy(false);
        setMessage(errorText(e));
      },
    );
  };

  return (
    <div className="rating edit-control" role="group" aria-labelledby="rating-title">
      <h3 id="rating-title">Your rating</h3>
      <label>
        Comment
        <textarea
          rows={2}
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          aria-pressed={rating?.thumb === 'up'}
          disabled={busy}
          onClick={() => save('up')}
        >
          👍 Good answer
        </button>
        <button
          type="button"
          className="secondary"
          aria-pressed={rating?.thumb === 'down'}
          disabled={busy}
          onClick={() => save('down')}
        >
          👎 Bad answer
        </button>
        <span role="status" data-testid="rating-status">
          {message}
        </span>
      </div>
      {rating !== undefined && (
        <p className="small-text" data-testid="judge-agrees">
          {rating.judge_agrees === null
            ? 'Nothing judged this result: no agreement to count.'
            : rating.judge_agrees
              ? 'The judge agrees with you.'
              : 'The judge disagrees with you.'}
        </p>
      )}
    </div>
  );
}
