# Task 2.2: visits a node once per path that reaches it, so shared nodes push their gradient several times
def topological_order(root):
    order, stack = [], [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        stack.append((node, True))
        for parent in node.parents:
            stack.append((parent, False))
    return order
