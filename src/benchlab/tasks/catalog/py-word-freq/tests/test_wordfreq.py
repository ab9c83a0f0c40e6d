import unittest

from wordfreq import top_words


class TopWords(unittest.TestCase):
    def test_counts_and_order(self):
        text = "the cat and the hat; The end. Cat!"
        self.assertEqual(top_words(text, 2), [("the", 3), ("cat", 2)])

    def test_ties_are_alphabetical(self):
        self.assertEqual(top_words("b a c", 3), [("a", 1), ("b", 1), ("c", 1)])

    def test_apostrophes_and_empty(self):
        self.assertEqual(top_words("don't DON'T", 5), [("don't", 2)])
        self.assertEqual(top_words("", 3), [])


if __name__ == "__main__":
    unittest.main()
