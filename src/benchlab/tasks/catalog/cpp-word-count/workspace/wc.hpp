#pragma once
#include <cstddef>
#include <string>

struct Counts {
    std::size_t lines = 0, words = 0, bytes = 0;
};

inline Counts count(const std::string& text) {
    Counts c;
    // TODO
    return c;
}
