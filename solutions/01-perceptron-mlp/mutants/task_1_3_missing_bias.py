# Task 1.3: forgets the bias
def linear_scores(X, W, b):
    return X @ W
