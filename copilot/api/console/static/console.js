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
