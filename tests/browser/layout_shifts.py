"""Measuring how much a page jumps while it loads, in Chromium."""

# Sums every layout shift (the Cumulative Layout Shift score) from the first paint on.
# Add it with page.add_init_script before the page loads; read window.layoutShift after.
RECORD_LAYOUT_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""
