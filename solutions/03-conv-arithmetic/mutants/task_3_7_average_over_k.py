# Task 3.7: divides each window's sum by k instead of k * k
_avg_right = avg_pool2d


def avg_pool2d(x, k, stride):
    return _avg_right(x, k, stride) * k
