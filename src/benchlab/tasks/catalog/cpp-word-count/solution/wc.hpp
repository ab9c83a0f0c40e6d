#pragma once
#include <cctype>
#include <cstddef>
#include <string>

struct Counts {
    std::size_t lines = 0, words = 0, bytes = 0;
};

inline Counts count(const std::string& text) {
    Counts c;
    c.bytes = text.size();
    bool in_word = false;
    for (unsigned char ch : text) {
        if (ch == '\n') ++c.lines;
        if (std::isspace(ch)) {
            in_word = false;
        } else if (!in_word) {
            in_word = true;
            ++c.words;
        }
    }
    return c;
}
