/// Hybrid genetic search with adaptive diversity control (Vidal et al. 2012, 2013; Vidal 2022,
/// "Hybrid genetic search for the CVRP: open-source implementation and SWAP* neighborhood"):
/// giant tours recombined by ordered crossover, cut by Split and improved by the local search;
/// the population restarts after `iterationsWithoutImprovement` iterations without a new best.
enum GeneticSearch {
    static func run<Trip>(_ run: inout SearchRun<Trip>) {
        initialise(&run)
        while !run.stop() {
            run.iteration += 1
            run.sinceImprovement += 1
            let a = run.population.select(&run.rng), b = run.population.select(&run.rng)
            let child = orderCrossover(a.giant, b.giant, &run.rng, locations: run.sd.locations)
            run.educate(run.splitter.split(child, run.weights, load: Trip.self), unrouted: [])

            if run.iteration % 100 == 0 {
                run.adaptPenalties(target: run.options.targetFeasible, up: 1.2, down: 0.85)
            }
            if run.sinceImprovement >= run.options.iterationsWithoutImprovement {
                run.population.clear()
                run.sinceImprovement = 0
                initialise(&run)
            }
            run.recombinePoolOnSchedule()
        }
    }

    /// A fresh population: 4μ educated random starts.
    static func initialise<Trip>(_ run: inout SearchRun<Trip>) {
        for _ in 0..<(4 * run.population.mu) where !run.stop() {
            run.educateRandomStart()
        }
    }
}
