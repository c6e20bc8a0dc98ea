# Task 1.1: sigmoid written literally, 1 / (1 + exp(-z)), which overflows for z = -1000
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))
