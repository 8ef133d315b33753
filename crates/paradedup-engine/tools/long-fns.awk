# Lists the functions of Rust files over MAX lines (80 unless given), from the `fn` line to its
# closing brace (doc comments and attributes not counted), as FILE:LINE: NAME N lines.
#   awk -f crates/paradedup-engine/tools/long-fns.awk crates/paradedup-engine/src/*.rs
#   awk -v MAX=60 -f crates/paradedup-engine/tools/long-fns.awk FILE...
# It relies on rustfmt layout: a function closes with a `}` at the indentation of its `fn` line.
# Exits 1 when it lists any.
function indent(s) { match(s, /^ */); return RLENGTH }
BEGIN { if (MAX == "") MAX = 80 }
FNR == 1 { depth = 0 }
{
  line = $0
  if (depth > 0 && indent(line) == ind[depth] && line ~ /^ *\}/) {
    len = FNR - start[depth] + 1
    if (len > MAX) { printf "%s:%d: %s %d lines\n", FILENAME, start[depth], name[depth], len; found = 1 }
    depth--
    next
  }
  if (line ~ /^ *(pub(\([a-z:]+\))? )?(const )?(unsafe )?(async )?(extern "[^"]*" )?fn [A-Za-z_]/ && line !~ /;\s*$/) {
    # one-line fns (`fn x() { .. }`) close on the same line
    if (line ~ /\}\s*$/ && line ~ /\{/) next
    n = line; sub(/^.*fn /, "", n); sub(/[<(].*/, "", n)
    depth++; start[depth] = FNR; ind[depth] = indent(line); name[depth] = n
  }
}
END { exit found }
