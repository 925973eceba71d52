import Testing

@testable import Planning

@Test func inputErrorNamesFileLineAndField() {
    let e = InputError(file: "orders.jsonl", line: 118, field: "lines[2].qty", "must be a positive integer, got -3")
    #expect(e.description == "orders.jsonl:118: lines[2].qty: must be a positive integer, got -3")
    #expect(e.kind.exitCode == 65)
    #expect(e.problem.status == 422)
    #expect(e.problem.field == "lines[2].qty")
}
