import Testing

@testable import Server

@Suite struct EventHubTests {
    @Test func everySubscriberGetsEachEventAndAnEndedStreamUnsubscribes() async throws {
        let hub = EventHub()
        let (a, sa) = hub.subscribe()
        let (_, sb) = hub.subscribe()
        #expect(hub.subscriberCount == 2)
        hub.publish(ServerEvent(name: "plan", json: #"{"plan_id":1}"#))
        var ia = sa.makeAsyncIterator(), ib = sb.makeAsyncIterator()
        #expect(await ia.next() == ServerEvent(name: "plan", json: #"{"plan_id":1}"#))
        #expect(await ib.next()?.frame == "event: plan\ndata: {\"plan_id\":1}\n\n")
        hub.unsubscribe(a)
        #expect(hub.subscriberCount == 1)
        #expect(await ia.next() == nil)
        hub.finishAll()
        #expect(await ib.next() == nil && hub.subscriberCount == 0)
    }
}
