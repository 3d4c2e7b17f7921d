package io.ringflow.internal.plan;

import io.ringflow.Topology;
import java.util.function.Function;

/**
 * A topology's stage plan, for the runtime's own classes outside {@code io.ringflow} (the test
 * driver). {@link Topology} keeps its plan package-private so that no user sees
 * {@link StagePlan}; Java has no friend packages, so Topology hands this class its accessor when
 * it is loaded, as the JDK's {@code SharedSecrets} do. Not for users.
 */
public final class TopologyPlans {

    /** Set once, by Topology's static initializer; volatile as a topology may reach another thread by a race. */
    private static volatile Function<Topology, StagePlan> access;

    private TopologyPlans() {
    }

    /** Called by Topology alone, once; a second caller is refused, so the accessor cannot be replaced. */
    public static void register(Function<Topology, StagePlan> accessor) {
        synchronized (TopologyPlans.class) {
            if (access != null) {
                throw new IllegalStateException("the topology plan accessor is registered already");
            }
            access = accessor;
        }
    }

    /** The stage plan of {@code topology}. */
    public static StagePlan of(Topology topology) {
        // Having a Topology means its class was initialized, so its accessor is registered.
        return access.apply(topology);
    }
}
