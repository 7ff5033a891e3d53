package htmlreport

import "github.com/smtpscope/smtpscope/dissect/diagram"

// lightVars and darkVars are the page colours (the diagrams carry their
// own, from the same palettes).
const (
	lightVars = `--bg:#ffffff;--fg:#1b1f24;--muted:#59636e;--rule:#d0d7de;--box:#f6f8fa;--link:#0b5cad;` +
		`--crit:#a40e26;--high:#cf222e;--medium:#bc4c00;--low:#9a6700;--info:#0b5cad;`
	darkVars = `--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--rule:#3d444d;--box:#161b22;--link:#58a6ff;` +
		`--crit:#ff6a69;--high:#ff7b72;--medium:#ffa657;--low:#d29922;--info:#58a6ff;`
)

// css is the page's inline style sheet for theme t: light, dark, or light
// switching to dark under prefers-color-scheme.
func css(t diagram.Theme) string {
	vars := ":root{" + lightVars + "color-scheme:light}"
	switch t {
	case diagram.ThemeDark:
		vars = ":root{" + darkVars + "color-scheme:dark}"
	case diagram.ThemeAuto:
		vars += "@media (prefers-color-scheme: dark){:root{" + darkVars + "color-scheme:dark}}"
	}
	return vars + `
body{margin:0 auto;max-width:1080px;padding:24px;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue','Noto Sans','DejaVu Sans',Arial,sans-serif}
h1{font-size:26px;margin:0 0 8px}h2{font-size:20px;margin:36px 0 8px;padding-top:12px;border-top:2px solid var(--rule)}h3{font-size:16px;margin:20px 0 6px}
a{color:var(--link)}.muted{color:var(--muted)}.hash{word-break:break-all;font-size:12px}code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:13px}
pre{background:var(--box);border:1px solid var(--rule);border-radius:6px;padding:10px;overflow-x:auto;white-space:pre}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--rule);vertical-align:top}
th{background:var(--box);cursor:pointer;user-select:none;white-space:nowrap}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;overflow-wrap:anywhere}
.diagram{overflow-x:auto;margin:10px 0}.diagram svg{max-width:100%;height:auto}
.sev{display:inline-block;min-width:56px;padding:1px 6px;border-radius:10px;color:var(--bg);font-size:12px;font-weight:700;text-align:center;text-transform:uppercase}
.sev-crit{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.finding{border:1px solid var(--rule);border-radius:6px;padding:8px 12px;margin:8px 0;background:var(--box)}.finding p{margin:4px 0}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}footer{margin-top:40px;color:var(--muted);font-size:13px}
`
}
