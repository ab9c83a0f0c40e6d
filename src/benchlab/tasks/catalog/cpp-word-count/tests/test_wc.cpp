// The harness prints TAP: one "ok N - name" or "not ok N - name" per check, then the plan
// "1..N" last, so a run cut short (an early exit, a crash) never shows a complete report.
#include <cstdio>
#include "wc.hpp"

static int ran = 0, failures = 0;
static void check(bool ok, const char* name) {
    ++ran;
    failures += !ok;
    std::printf("%s %d - %s\n", ok ? "ok" : "not ok", ran, name);
}

int main() {
    Counts a = count("hello world\nsecond  line\n");
    check(a.lines == 2 && a.words == 4 && a.bytes == 25, "two lines");
    Counts b = count("");
    check(b.lines == 0 && b.words == 0 && b.bytes == 0, "empty");
    Counts c = count("  x\t\ty  ");
    check(c.lines == 0 && c.words == 2 && c.bytes == 8, "tabs and spaces");
    std::printf("1..%d\n", ran);
    return failures ? 1 : 0;
}
