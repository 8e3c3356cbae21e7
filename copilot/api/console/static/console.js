// Community Copilot console: the little behaviour plain HTML forms lack. Loaded from our own
// origin (no inline script), so the page's Content-Security-Policy can forbid everything else.
"use strict";

// Forms marked .confirm ask first (deleting a source, revoking a key).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form.confirm") && !window.confirm(form.dataset.confirm || "?")) {
    event.preventDefault();
  }
});

// Uploads send with XMLHttpRequest so the bar can show the bytes sent; the server answers
// with a redirect (to the list, or to the job page of a large file), which we follow.
function wireUpload(form) {
  const bar = form.querySelector("progress");
  const status = form.querySelector("[data-upload-status]");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable && bar) {
        bar.hidden = false;
        bar.value = Math.round((100 * e.loaded) / e.total);
      }
    });
    request.addEventListener("load", () => {
      if (request.responseURL && request.status < 400) {
        window.location.assign(request.responseURL);
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener("error", () => {
      if (status) status.textContent = status.dataset.failed || "failed";
    });
    if (status) status.textContent = status.dataset.sending || "";
    request.send(new FormData(form));
  });
}

// Copy a draft as plain text with its line breaks (WeChat keeps them as typed).
async function copyText(button) {
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const text = source.value !== undefined ? source.value : source.innerText;
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const done = button.dataset.copied;
  if (done) {
    const label = button.textContent;
    button.textContent = done;
    setTimeout(() => { button.textContent = label; }, 1500);
  }
}

function wire(root) {
  root.querySelectorAll("form[data-upload]").forEach(wireUpload);
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (button) copyText(button);
});
document.addEventListener("DOMContentLoaded", () => wire(document));

// Create's forms stream as the API streams (server-sent events over a POST, so fetch reads
// them): `started` at once, pings while the skill works, then `result` (the rendered page,
// whose result section is swapped in) or `error`. A reply that is not a stream (an expired
// form, say) is shown as the page it is.
function sseEvents(onEvent) {
  let buffer = "";
  const flush = (block) => {
    let name = "message";
    const data = [];
    block.split("\n").forEach((line) => {
      if (line.startsWith(":")) return; // a ping
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    });
    if (data.length) onEvent(name, data.join("\n"));
  };
  return (chunk, last) => {
    buffer += chunk;
    // Lines end in \r\n, \n or \r; hold a trailing \r until we know whether \n follows.
    const hold = !last && buffer.endsWith("\r");
    let text = (hold ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, "\n");
    let end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      flush(text.slice(0, end));
      text = text.slice(end + 2);
    }
    buffer = text + (hold ? "\r" : "");
    if (last && buffer.trim()) flush(buffer);
  };
}

function wireStream(form) {
  const target = () => document.getElementById(form.dataset.stream);
  const status = form.querySelector("[data-stream-status]");
  const say = (text) => { if (status) status.textContent = text || ""; };
  const showError = (message) => {
    const box = target();
    if (!box) return;
    const p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    box.replaceChildren(p);
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    say(status && status.dataset.working);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "text/event-stream" },
        credentials: "same-origin",
      });
      const type = response.headers.get("content-type") || "";
      if (!type.startsWith("text/event-stream")) {
        const html = await response.text();
        document.open();
        document.write(html);
        document.close();
        return;
      }
      const feed = sseEvents((name, data) => {
        if (name === "started") {
          say(status && status.dataset.started);
        } else if (name === "result") {
          const page = new DOMParser().parseFromString(data, "text/html");
          const fresh = page.getElementById(form.dataset.stream);
          const box = target();
          if (fresh && box) box.replaceWith(fresh);
          say("");
        } else if (name === "error") {
          showError(JSON.parse(data).message);
          say("");
        }
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        feed(value || "", done);
        if (done) break;
      }
    } catch (err) {
      showError(String(err));
      say("");
    } finally {
      if (button) button.disabled = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-stream]").forEach(wireStream);
});
