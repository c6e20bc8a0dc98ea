# Task 1.7: hinge gradient that forgets the -1/N per violation at the true class
def multiclass_hinge_loss_grad(scores, y, margin=1.0):
    rows = np.arange(scores.shape[0])
    active = (scores - scores[rows, y][:, None] + margin > 0).astype(np.float64)
    active[rows, y] = 0.0
    return active / scores.shape[0]
