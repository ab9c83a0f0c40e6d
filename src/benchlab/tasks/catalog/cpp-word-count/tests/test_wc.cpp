#include <cstdio>
#include "wc.hpp"

int main() {
    int bad = 0;
    Counts a = count("hello world\nsecond  line\n");
    bad += !(a.lines == 2 && a.words == 4 && a.bytes == 25);
    Counts b = count("");
    bad += !(b.lines == 0 && b.words == 0 && b.bytes == 0);
    Counts c = count("  x\t\ty  ");
    bad += !(c.lines == 0 && c.words == 2 && c.bytes == 8);
    std::printf("%s\n", bad ? "FAILED" : "OK");
    return bad ? 1 : 0;
}
