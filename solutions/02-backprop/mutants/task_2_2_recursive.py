# Task 2.2: a recursive depth-first search, which hits Python's recursion limit on deep graphs
def topological_order(root):
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order
