/// Indexed binary min-heap over node ids `0..<capacity` with decrease- and increase-key.
struct IndexedHeap {
    private var heap: [(key: Int64, node: Int32)] = []
    private var position: [Int32]

    init(capacity: Int) { position = [Int32](repeating: -1, count: capacity) }

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var minKey: Int64? { heap.first?.key }

    func contains(_ v: Int32) -> Bool { position[Int(v)] >= 0 }

    /// Inserts `v` or changes its key.
    mutating func set(_ v: Int32, _ key: Int64) {
        let p = Int(position[Int(v)])
        if p < 0 {
            heap.append((key, v))
            position[Int(v)] = Int32(heap.count - 1)
            up(heap.count - 1)
        } else if key < heap[p].key {
            heap[p].key = key
            up(p)
        } else {
            heap[p].key = key
            down(p)
        }
    }

    mutating func popMin() -> (key: Int64, node: Int32)? {
        guard let top = heap.first else { return nil }
        position[Int(top.node)] = -1
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            position[Int(last.node)] = 0
            down(0)
        }
        return top
    }

    mutating func removeAll() {
        for e in heap { position[Int(e.node)] = -1 }
        heap.removeAll(keepingCapacity: true)
    }

    private mutating func up(_ i0: Int) {
        var i = i0
        let item = heap[i]
        while i > 0 {
            let parent = (i - 1) >> 1
            if heap[parent].key <= item.key { break }
            heap[i] = heap[parent]
            position[Int(heap[i].node)] = Int32(i)
            i = parent
        }
        heap[i] = item
        position[Int(item.node)] = Int32(i)
    }

    private mutating func down(_ i0: Int) {
        var i = i0
        let item = heap[i]
        let n = heap.count
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && heap[c + 1].key < heap[c].key { c += 1 }
            if heap[c].key >= item.key { break }
            heap[i] = heap[c]
            position[Int(heap[i].node)] = Int32(i)
            i = c
        }
        heap[i] = item
        position[Int(item.node)] = Int32(i)
    }
}

/// Binary min-heap of (key, node) without decrease-key: a node may be pushed several times and
/// stale entries are skipped by the caller. Cheaper than `IndexedHeap` for the many short
/// witness searches of the contraction.
struct LazyHeap {
    private var items: [(key: Int64, node: Int32)] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ node: Int32, _ key: Int64) {
        items.append((key, node))
        var i = items.count - 1
        let item = items[i]
        while i > 0 {
            let parent = (i - 1) >> 1
            if items[parent].key <= item.key { break }
            items[i] = items[parent]
            i = parent
        }
        items[i] = item
    }

    mutating func popMin() -> (key: Int64, node: Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            var i = 0
            let n = items.count
            while true {
                var c = 2 * i + 1
                if c >= n { break }
                if c + 1 < n && items[c + 1].key < items[c].key { c += 1 }
                if items[c].key >= last.key { break }
                items[i] = items[c]
                i = c
            }
            items[i] = last
        }
        return top
    }
}
