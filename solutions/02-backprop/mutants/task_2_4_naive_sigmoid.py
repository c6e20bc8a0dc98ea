# Task 2.4: the literal 1 / (1 + exp(-z)), which overflows for large negative z
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))
