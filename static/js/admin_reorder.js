// Drag a sign, note, takeaway or tip by its handle to put it in another place; the
// position numbers follow, so saving works exactly as if they had been typed. Typing
// the numbers stays the way to reorder by keyboard and without JavaScript, and the
// guide renumbers every list 1, 2, 3... when it is saved, so no number is used twice.
"use strict";

function orderedRows(group) {
  // A table row per item in a tabular inline (whose wrapper is also .inline-related), a
  // box per item in a stacked one.
  return [...group.querySelectorAll("tr.form-row, div.inline-related:not(.tabular)")].filter(
    (row) => !row.classList.contains("empty-form") && row.querySelector('input[name$="-order"]'),
  );
}

function renumber(group) {
  orderedRows(group).forEach((row, index) => {
    row.querySelector('input[name$="-order"]').value = index + 1;
  });
}

function makeDraggable(group) {
  let dragged = null;
  for (const row of orderedRows(group)) {
    if (row.querySelector(".drag-handle")) {
      continue;
    }
    const handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to move (or change the position number)";
    handle.setAttribute("aria-hidden", "true"); // the position number is the accessible way
    handle.draggable = true; // only the handle drags, so text in the row stays selectable
    row.querySelector('input[name$="-order"]').before(handle);
    handle.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
      event.dataTransfer.setDragImage(row, 0, 0);
    });
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) {
        return;
      }
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("drop", (event) => event.preventDefault());
    handle.addEventListener("dragend", () => {
      row.classList.remove("dragging");
      dragged = null;
      renumber(group);
    });
  }
}

// The admin loads this in <head>, before the inlines exist.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".inline-group").forEach((group) => {
    makeDraggable(group);
    // Rows added with "Add another" get a handle too.
    group.addEventListener("click", () => setTimeout(() => makeDraggable(group)));
  });
});
