import Testing
@testable import Planning

@Test func moduleLoads() {}
