# Prints each failed test in a .trx file: its name, then the first lines of its message and stack trace.
function decode(s) {
  gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'", s); gsub(/&#xD;/, "", s); gsub(/&#xA;/, "", s); gsub(/&amp;/, "\\&", s)
  return s
}
function emit(s) { if (shown < 24) { print "    " decode(s); shown++ } }
/<UnitTestResult / {
  failed = ($0 ~ /outcome="Failed"/)
  if (failed) {
    name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
    print "FAILED: " decode(name); shown = 0
  }
}
failed && /<Message>|<StackTrace>/ { inside = 1; sub(/.*<(Message|StackTrace)>/, "") }
failed && inside {
  line = $0; done = sub(/<\/(Message|StackTrace)>.*/, "", line)
  if (line ~ /[^ \t]/) emit(line)
  if (done) inside = 0
}
/<\/UnitTestResult>/ { failed = 0; inside = 0 }
