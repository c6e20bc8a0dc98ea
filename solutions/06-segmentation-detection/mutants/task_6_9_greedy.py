# Task 6.9: matches greedily (each object in turn takes its cheapest free prediction), which is not optimal
def min_cost_assignment(cost):
    q_count, t_count = cost.shape
    if t_count > q_count:
        raise ValueError("more objects than predictions")
    taken, pairs = set(), []
    for t in range(t_count):
        q = min((q for q in range(q_count) if q not in taken), key=lambda q: float(cost[q, t]))
        taken.add(q)
        pairs.append((q, t))
    pairs.sort()
    return torch.tensor([p[0] for p in pairs], dtype=torch.long), torch.tensor([p[1] for p in pairs], dtype=torch.long)
