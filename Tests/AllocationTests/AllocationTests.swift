import Testing
@testable import Allocation

@Test func moduleLoads() {}
