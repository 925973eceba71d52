import Foundation
import Routing

/// VROOM JSON in, VROOM JSON out: what `lastmile solve --format vroom` and `POST /v1/solve` run.
public enum VroomSolve {
    /// Budget when neither the caller nor the input's `lastmile.seconds` gives one.
    public static let defaultSeconds = 5.0

    /// Solves a VROOM problem; every failure becomes an answer with VROOM's code and message.
    /// The input's `"lastmile": {"seconds", "seed"}` wins over the arguments; `maxSeconds` caps it.
    /// `iterations` (the CLI's `--iterations`) replaces the time budget: deterministic for a seed.
    public static func answer(_ body: Data, seconds: Double? = nil, seed: UInt64? = nil, iterations: Int? = nil,
                              maxSeconds: Double = 3_600, options: MetaheuristicSolver.Options = .init(),
                              travel: VroomTravel? = nil) -> VroomAnswer {
        let started = ContinuousClock.now
        do {
            let input = try VroomInput.decode(body)
            let problem = try VroomProblem(input, travel: travel)
            let loaded = ContinuousClock.now
            let budget = input.options.seconds ?? seconds ?? defaultSeconds
            guard budget <= maxSeconds else { throw VroomError(pointer: "/lastmile/seconds", "\(budget) is above the limit \(maxSeconds)") }
            let params = SolveParameters(seed: input.options.seed ?? seed ?? 1, timeLimit: iterations == nil ? budget : nil,
                                         maxIterations: iterations)
            let result = MetaheuristicSolver(options: options).solve(problem.data, parameters: params)
            let solving = (ContinuousClock.now - loaded).inSeconds
            let loading = (loaded - started).inSeconds - problem.routingSeconds
            return problem.answer(result.solution, times: VroomComputingTimes(
                loading: Int((loading * 1000).rounded()), solving: Int((solving * 1000).rounded()),
                routing: Int((problem.routingSeconds * 1000).rounded())))
        } catch let e as VroomError {
            return VroomAnswer(failure: e)
        } catch {
            return VroomAnswer(code: 1, error: "\(error)")
        }
    }

    /// The answer as one JSON document with sorted keys (stable for diffs and tests).
    public static func json(_ answer: VroomAnswer) -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(answer)) ?? Data(#"{"code":1,"error":"the answer could not be encoded"}"#.utf8)
    }
}
