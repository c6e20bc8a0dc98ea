# Task 1.2: updates w but forgets the bias b
def perceptron_train(X, y, max_epochs=100):
    w, b, updates = np.zeros(X.shape[1]), 0.0, []
    for _ in range(max_epochs):
        count = 0
        for x_i, y_i in zip(X, y):
            if y_i * (x_i @ w + b) <= 0:
                w, count = w + y_i * x_i, count + 1
        updates.append(count)
        if count == 0:
            break
    return w, b, updates
