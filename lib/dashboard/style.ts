// The dashboard page's stylesheet: light and dark by prefers-color-scheme, a card grid that is three columns
// at 1280 px and one on a phone. Built once at startup as a constant. Always: no url(), no @import, no
// external font, so the page's Content-Security-Policy can allow this one sheet by its hash and nothing else.

export const DASHBOARD_STYLE = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --card: #ffffff; --ink: #16191d; --muted: #5b6470; --line: #dde1e6;
  --accent: #2f6fdf; --spark: #2f6fdf; --spark-fill: rgba(47, 111, 223, 0.12);
  --ga: #1b7f45; --preview: #8a5a00; --deprecated: #b3261e;
  --ok: #1b7f45; --warn: #8a5a00; --bad: #b3261e;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --card: #171b21; --ink: #e7eaee; --muted: #9aa4b1; --line: #2a3039;
    --accent: #7aa7ff; --spark: #7aa7ff; --spark-fill: rgba(122, 167, 255, 0.14);
    --ga: #5fd08e; --preview: #f0b54a; --deprecated: #ff8a80;
    --ok: #5fd08e; --warn: #f0b54a; --bad: #ff8a80;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: 8px; }
.skip:focus { left: 8px; }
header {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px;
  padding: 12px 20px; border-bottom: 1px solid var(--line); background: var(--card);
}
h1 { font-size: 17px; margin: 0; font-weight: 650; }
h1 small { color: var(--muted); font-weight: 400; }
.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px;
  border: 1px solid var(--line); color: var(--muted); white-space: nowrap;
}
#status { display: flex; align-items: center; gap: 6px; font-weight: 600; }
#status::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: var(--muted); }
body[data-state="live"] #status::before { background: var(--ok); }
body[data-state="unavailable"] #status::before, body[data-state="waiting"] #status::before { background: var(--warn); }
body[data-state="unauthorized"] #status::before, body[data-state="unreachable"] #status::before,
body[data-state="error"] #status::before { background: var(--bad); }
#updated { color: var(--muted); font-size: 12px; }
.spacer { flex: 1; }
form { display: flex; gap: 6px; align-items: center; }
input, button {
  font: inherit; color: var(--ink); background: var(--bg); border: 1px solid var(--line);
  border-radius: 6px; padding: 5px 9px;
}
button { cursor: pointer; background: var(--card); }
button:hover { border-color: var(--accent); }
#notice {
  margin: 16px 20px 0; padding: 12px 14px; border-radius: 8px; border: 1px solid var(--bad);
  background: var(--card);
}
#notice[hidden] { display: none; }
#notice h2 { font-size: 15px; margin: 0 0 4px; }
#notice p { margin: 0; color: var(--muted); }
main { padding: 4px 20px 24px; }
section > h2 {
  font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted);
  margin: 18px 0 8px;
}
.grid { display: grid; gap: 12px; align-items: start; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); }
article {
  background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px;
  min-width: 0;
}
article h3 {
  margin: 0; font-size: 13px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-weight: 600; overflow-wrap: anywhere;
}
.meta { display: flex; gap: 6px; align-items: baseline; margin: 2px 0 6px; color: var(--muted); font-size: 12px; }
.meta .desc { flex: 1; min-width: 0; }
.stage { font-weight: 600; }
.stage.GA { color: var(--ga); border-color: var(--ga); }
.stage.Preview { color: var(--preview); border-color: var(--preview); }
.stage.Deprecated { color: var(--deprecated); border-color: var(--deprecated); }
ul { list-style: none; margin: 0; padding: 0; }
li {
  display: grid; grid-template-columns: minmax(0, 1fr) auto 96px; gap: 10px; align-items: center;
  padding: 4px 0; border-top: 1px solid var(--line);
}
li:first-child { border-top: 0; }
li.summary { grid-template-columns: minmax(0, 1fr) 96px; grid-template-areas: "labels spark" "value spark"; row-gap: 0; }
li.summary .labels { grid-area: labels; }
li.summary .value { grid-area: value; text-align: left; font-weight: 600; font-size: 13px; white-space: normal; }
li.summary svg.spark { grid-area: spark; }
.labels { color: var(--muted); font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.value { font-variant-numeric: tabular-nums; font-weight: 650; text-align: right; white-space: nowrap; }
svg.spark { width: 96px; height: 26px; display: block; }
svg.spark polyline { fill: none; stroke: var(--spark); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
svg.spark polygon { fill: var(--spark-fill); stroke: none; }
.empty { color: var(--muted); font-style: italic; }
footer { padding: 0 20px 20px; color: var(--muted); font-size: 12px; }
@media (max-width: 520px) {
  header { padding: 10px 12px; }
  main { padding: 4px 12px 20px; }
  .grid { grid-template-columns: 1fr; }
  li { grid-template-columns: minmax(0, 1fr) auto 72px; }
  svg.spark { width: 72px; }
  li.summary { grid-template-columns: minmax(0, 1fr) 72px; }
  form { width: 100%; }
  form input { flex: 1; min-width: 0; }
}
`;
