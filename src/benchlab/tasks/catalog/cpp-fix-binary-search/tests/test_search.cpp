// The harness prints TAP: one "ok N - name" or "not ok N - name" per check, then the plan
// "1..N" last, so a run cut short (an early exit, a crash) never shows a complete report.
#include <cstdio>
#include <vector>
#include "search.hpp"

static int ran = 0, failures = 0;
static void check(bool ok, const char* name) {
    ++ran;
    failures += !ok;
    std::printf("%s %d - %s\n", ok ? "ok" : "not ok", ran, name);
}

int main() {
    std::vector<int> v{1, 3, 3, 5, 8};
    check(lower_bound_index(v, 0) == 0, "before the first");
    check(lower_bound_index(v, 3) == 1, "first of equal run");
    check(lower_bound_index(v, 4) == 3, "between");
    check(lower_bound_index(v, 8) == 4, "the last");
    check(lower_bound_index(v, 9) == 5, "past the end");
    check(lower_bound_index(std::vector<int>{}, 1) == 0, "empty");
    std::printf("1..%d\n", ran);
    return failures ? 1 : 0;
}
