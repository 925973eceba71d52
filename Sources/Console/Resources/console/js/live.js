// Live updates from GET /v1/events (Server-Sent Events). Read through fetch() so that the
// Authorization header can be sent when reads need a token; reconnects with backoff.
import { rawFetch } from './api.js';

/** Parse an SSE byte stream into {event, data} messages (WHATWG "event stream" rules, enough of them). */
export function sseParser(onMessage) {
  let buffer = '', event = '', data = [];
  return chunk => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (nl === buffer.length - 1 && buffer[nl] === '\r') break;   // maybe the first half of \r\n
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (data.length) onMessage({ event: event || 'message', data: data.join('\n') });
        event = ''; data = [];
        continue;
      }
      if (line.startsWith(':')) continue;                 // comment (keep-alive)
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? '' : line.slice(i + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
  };
}

let stopped = false;
export function connect(onEvent, onState = () => {}) {
  let delay = 1000;
  const loop = async () => {
    while (!stopped) {
      let ok = false;
      try {
        const res = await rawFetch('/v1/events', { headers: { Accept: 'text/event-stream' }, cache: 'no-store' });
        if (res.status === 404) { onState('unavailable'); return; }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        ok = true; delay = 1000; onState('connected');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const feed = sseParser(m => {
          let d = m.data;
          try { d = JSON.parse(m.data); } catch { /* plain text */ }
          onEvent(m.event, d);
        });
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed(value);
        }
      } catch (e) {
        if (stopped) return;
      }
      onState('reconnecting');
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(delay * 2, 30000);
      if (ok) delay = 1000;
    }
  };
  loop();
}
export function stop() { stopped = true; }
