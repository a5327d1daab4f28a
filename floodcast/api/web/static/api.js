// Requests to the Floodcast API with the key as a bearer header (never in an address).

export class HttpError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

async function refusal(response) {
  let detail = `HTTP ${response.status}`;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || detail;
  } catch (_) { /* not a problem document */ }
  return new HttpError(response.status, detail);
}

export async function getJson(path, key) {
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${key}`, Accept: "application/json" },
    cache: "no-store",
    credentials: "omit",
  });
  if (!response.ok) throw await refusal(response);
  return response.json();
}

// Reads the server-sent events of /v1/live through fetch, so the key travels as a header
// (EventSource cannot send one). Calls onEvent(name, data) for each event until the stream
// ends (resolves) or fails (rejects; HttpError when the server refused it).
export async function streamEvents(key, onEvent, signal) {
  const response = await fetch("/v1/live", {
    headers: { Authorization: `Bearer ${key}`, Accept: "text/event-stream" },
    cache: "no-store",
    credentials: "omit",
    signal,
  });
  if (!response.ok) throw await refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}
