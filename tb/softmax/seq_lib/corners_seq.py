"""Directed columns: one-block columns (D = 608, a dominant element giving
p = 127, constant columns, random), and staircases whose running max rises
by 0, 1..15, 16..19 and >= 20 between blocks."""

from tb.softmax.seq_lib.base_seq import SoftmaxBaseSeq


class SoftmaxCornersSeq(SoftmaxBaseSeq):
    def fill(self, cols, L):
        """Pad the corner columns to a whole number of n-tiles with random ones."""
        while len(cols) % self.ad:
            cols.append(self.random_column(L))
        return cols

    def jobs(self):
        L = self.lanes
        yield self.job(self.fill([self.d_min(L), self.dominant(L), self.constant(L, 0),
                                  self.constant(L, -128), self.constant(L, 127)], L), tag="one block")
        L = self.lanes * min(8, self.max_l // self.lanes)
        stairs = [[0], [1, 7, 15], [16, 17, 19], [20, 33, 64], [0, 18, 3]]
        yield self.job(self.fill([self.staircase(L, s) for s in stairs] + [self.d_min(L), self.dominant(L)], L),
                       tag="staircases")
        for _ in range(self.knobs.get("random", 2)):
            L = self.length()
            yield self.job(self.fill([self.d_min(L), self.dominant(L), self.gauss(L, 0.5), self.gauss(L, 4.0)], L),
                           tag="mixed")
