// The dashboard page's exposition parser (browser JavaScript, kept as text and placed inside the page
// script's function): Prometheus text 0.0.4 into families of samples, and the catalog's HELP into
// description, unit and stage. One pass over the text per poll. Always: a line it cannot read is skipped,
// never thrown on, so one odd series cannot blank the page.

/** Defines parse(text), parseSample(line) and describe(help); spec/dashboard/parse-script.spec.ts runs them in Node. */
export const PARSE_SCRIPT = String.raw`
  // Prometheus text 0.0.4: # HELP / # TYPE lines and samples name{labels} value [timestamp].
  function parse(text) {
    var families = new Map();
    var family = function (name) {
      var found = families.get(name);
      if (found === undefined) families.set(name, (found = { name: name, type: "untyped", help: "", samples: [] }));
      return found;
    };
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (line === "") continue;
      if (line.charAt(0) === "#") {
        var meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
        if (meta === null) continue;
        if (meta[1] === "HELP") family(meta[2]).help = meta[3].replace(/\\(n|\\)/g, function (_, c) { return c === "n" ? "\n" : "\\"; });
        else family(meta[2]).type = meta[3];
        continue;
      }
      var sample = parseSample(line);
      if (sample === null) continue;
      var owner = families.get(sample.name);
      if (owner === undefined) {
        var base = sample.name.replace(/_(sum|count|bucket)$/, "");
        owner = families.get(base) || family(sample.name);
      }
      owner.samples.push(sample);
    }
    return families;
  }

  function parseSample(line) {
    var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (m === null) return null;
    var at = m[0].length;
    var labels = [];
    if (line.charAt(at) === "{") {
      at++;
      for (;;) {
        while (line.charAt(at) === " " || line.charAt(at) === ",") at++;
        if (line.charAt(at) === "}") { at++; break; }
        var ln = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
        if (ln === null) return null;
        at += ln[0].length;
        var value = "";
        for (;;) {
          var c = line.charAt(at++);
          if (c === "") return null;
          if (c === "\"") break;
          if (c === "\\") { var e = line.charAt(at++); value += e === "n" ? "\n" : e; } else value += c;
        }
        labels.push([ln[1], value]);
      }
    }
    var rest = line.slice(at).trim().split(/\s+/);
    var v = rest[0] === "+Inf" ? Infinity : rest[0] === "-Inf" ? -Infinity : Number(rest[0]);
    if (rest[0] === undefined || rest[0] === "" || (Number.isNaN(v) && rest[0] !== "NaN")) return null;
    return { name: m[1], labels: labels, value: v };
  }

  // HELP as the catalog writes it: "description (unit). Release stage: STAGE."
  function describe(help) {
    var m = /^(.*) \(([^()]+)\)\. Release stage: (.+)\.$/.exec(help);
    if (m === null) return { description: help, unit: "", stage: "" };
    return { description: m[1], unit: m[2], stage: m[3] };
  }

`;
