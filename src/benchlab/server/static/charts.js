// Draws every `.plot` from the JSON figure embedded beside it, in the page's theme colours.
// A page that swaps in a fresher figure (the live run page) calls drawAll again: plotly's
// `react` updates a plot already drawn in place rather than drawing it anew.
function themed(layout) {
  const css = getComputedStyle(document.documentElement);
  const fg = css.getPropertyValue("--fg").trim();
  const grid = css.getPropertyValue("--grid").trim();
  const axis = (a) => ({ gridcolor: grid, zerolinecolor: grid, linecolor: grid, ...a });
  return {
    autosize: true,
    height: 320,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { color: fg, family: css.getPropertyValue("--font").trim() },
    legend: { orientation: "h", y: -0.2 },
    colorway: ["#5b9cff", "#f5a524", "#3ecf8e", "#ef5f6b", "#b18cff", "#2ec4d6", "#e879c6", "#9aa5b1"],
    ...layout,
    margin: { l: 56, r: 16, t: 16, b: 48, ...(layout.margin || {}) },
    xaxis: axis(layout.xaxis || {}),
    yaxis: axis(layout.yaxis || {}),
    ...(layout.xaxis2 ? { xaxis2: axis(layout.xaxis2) } : {}),
  };
}

export function drawAll() {
  if (!window.Plotly) return;
  for (const el of document.querySelectorAll(".plot[data-figure]")) {
    const source = document.getElementById(el.dataset.figure);
    if (!source) continue;
    const figure = JSON.parse(source.textContent);
    // A figure that knows its height (a bar per model) gets exactly that much room.
    if (figure.layout && figure.layout.height) el.style.minHeight = `${figure.layout.height}px`;
    window.Plotly.react(el, figure.data, themed(figure.layout || {}), {
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  }
}

drawAll();
document.addEventListener("benchlab:theme", drawAll);
