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

    @Test func aRelayedHubQueuesWhatItPublishesAndDeliversOthersOnlyLocally() async throws {
        let hub = EventHub(relayed: true)
        let (_, mine) = hub.subscribe()
        var out = try #require(hub.outgoing).makeAsyncIterator(), local = mine.makeAsyncIterator()
        let e = ServerEvent(name: "job", json: #"{"job_id":3,"state":"done"}"#)
        hub.publish(e)
        let (heard, sent) = (await local.next(), await out.next())
        #expect(heard == e && sent == e)
        hub.deliver(ServerEvent(name: "plan", json: "{}"))   // another worker's: not sent on
        #expect(await local.next() == ServerEvent(name: "plan", json: "{}"))
        #expect(EventHub().outgoing == nil)
    }

    @Test func anAnnouncementCarriesOriginNameAndJSON() {
        let e = ServerEvent(name: "plan", json: "{\"note\":\"line one\\nline two\"}")
        let text = EventRelay.message(e, origin: "A-1")
        #expect(text == "A-1\nplan\n" + e.json)
        #expect(EventRelay.event(text)?.origin == "A-1" && EventRelay.event(text)?.event == e)
        #expect(EventRelay.event("no line breaks") == nil)
    }
}
