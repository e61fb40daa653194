/**
 * The WebSocket protocol of run progress (src/runs/progress-socket.ts), as text for the API
 * description: OpenAPI has no WebSocket operations, and the messages are few; their payloads
 * are the document's Run and RunResult schemas.
 */
export const webSocketDescription = `## WebSocket: run progress (\`/ws\`)

Client → server:
- \`{"type": "subscribe", "run_id": "<id>", "since": <n>}\`: \`since\` is the number of results
  already seen (default 0);
- \`{"type": "unsubscribe", "run_id": "<id>"}\`.

Server → client:
- \`{"type": "subscribed", "run_id", "run": Run}\`: the run as stored now;
- \`{"type": "result", "run_id", "result": RunResult}\`: every stored result after \`since\`,
  replayed from the database in completion order, then each new one live (never twice);
- \`{"type": "run.started", "run_id", "run": Run}\` and \`{"type": "run.finished", "run_id", "run": Run}\`
  (also sent at once when the run had already finished);
- \`{"type": "error", "run_id"?, "message"}\`: a malformed message, an unknown run or a failed
  subscription.

A client that reconnects with \`since\` = the results it has seen misses nothing.`;
