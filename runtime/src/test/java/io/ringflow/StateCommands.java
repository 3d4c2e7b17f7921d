package io.ringflow;

import io.ringflow.function.Collector;
import io.ringflow.function.KeyedProcessFunction;
import io.ringflow.function.ListStateSpec;
import io.ringflow.function.MapState;
import io.ringflow.function.MapStateSpec;
import io.ringflow.function.Ttl;
import io.ringflow.function.ValueState;
import io.ringflow.function.ValueStateSpec;
import io.ringflow.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A keyed process that runs the named-state command in each event "key@time:state.op[=args]"
 * and emits what reads return as "state.op=result". States: {@code m} (map), {@code l} (list),
 * {@code v} (value) without TTL; {@code tm}, {@code tl}, {@code tv} with an event-time TTL of
 * {@value #TTL} ms; {@code pm} a map with a processing-time TTL of {@value #TTL} ms. Map ops:
 * put=k=n, get=k, rem=k, has=k, all, keys, vals, empty, clr; list ops: add=x, addall=x,y, get,
 * set=x,y, clr; value ops: set=n, get, clr. {@code timer=T} registers an event-time timer whose
 * {@code onTimer} emits "onTimer tm=... tl=..." (the TTL map's entries and list).
 */
final class StateCommands implements KeyedProcessFunction<String, String, String> {

    static final long TTL = 100;

    static final MapStateSpec<String, Long> M = MapStateSpec.of("m", String.class, Long.class);
    static final ListStateSpec<String> L = ListStateSpec.of("l", String.class);
    static final ValueStateSpec<Long> V = ValueStateSpec.of("v", Long.class);
    static final MapStateSpec<String, Long> TM = MapStateSpec.of("tm", String.class, Long.class)
            .withTtl(Ttl.eventTime(Duration.ofMillis(TTL)));
    static final ListStateSpec<String> TL = ListStateSpec.of("tl", String.class)
            .withTtl(Ttl.eventTime(Duration.ofMillis(TTL)));
    static final ValueStateSpec<Long> TV = ValueStateSpec.of("tv", Long.class)
            .withTtl(Ttl.eventTime(Duration.ofMillis(TTL)));
    static final MapStateSpec<String, Long> PM = MapStateSpec.of("pm", String.class, Long.class)
            .withTtl(Ttl.processingTime(Duration.ofMillis(TTL)));

    static String key(String event) {
        return event.substring(0, event.indexOf('@'));
    }

    static long time(String event) {
        return Long.parseLong(event.substring(event.indexOf('@') + 1, event.indexOf(':')));
    }

    /** Event time from the event; the watermark is the latest time seen. */
    static WatermarkStrategy<String> eventTime() {
        return WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO)
                .withTimestampExtractor((event, sourceTime) -> time(event));
    }

    @Override
    public void process(String event, Context<String> ctx, Collector<String> out) {
        String command = event.substring(event.indexOf(':') + 1);
        String[] parts = command.split("=", 2);
        String arg = parts.length > 1 ? parts[1] : "";
        int dot = parts[0].indexOf('.');
        String state = dot < 0 ? parts[0] : parts[0].substring(0, dot);
        String op = dot < 0 ? "" : parts[0].substring(dot + 1);
        String result = switch (state) {
            case "m" -> map(ctx.mapState(M), op, arg);
            case "tm" -> map(ctx.mapState(TM), op, arg);
            case "pm" -> map(ctx.mapState(PM), op, arg);
            case "l" -> list(ctx, L, op, arg);
            case "tl" -> list(ctx, TL, op, arg);
            case "v" -> value(ctx.valueState(V), op, arg);
            case "tv" -> value(ctx.valueState(TV), op, arg);
            case "timer" -> {
                ctx.timers().registerEventTimeTimer(Long.parseLong(arg));
                yield null;
            }
            default -> throw new IllegalArgumentException("no state " + state);
        };
        if (result != null) {
            out.collect(parts[0] + "=" + result);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> ctx, Collector<String> out) {
        out.collect("onTimer tm=" + ctx.mapState(TM).entries() + " tl=" + ctx.listState(TL).get());
    }

    private static String map(MapState<String, Long> map, String op, String arg) {
        String[] kv = arg.split("=", 2);
        switch (op) {
            case "put" -> map.put(kv[0], Long.parseLong(kv[1]));
            case "rem" -> map.remove(arg);
            case "clr" -> map.clear();
            case "get" -> {
                return String.valueOf(map.get(arg));
            }
            case "has" -> {
                return String.valueOf(map.contains(arg));
            }
            case "all" -> {
                return map.entries().toString();
            }
            case "keys" -> {
                return map.keys().toString();
            }
            case "vals" -> {
                return map.values().toString();
            }
            case "empty" -> {
                return String.valueOf(map.isEmpty());
            }
            default -> throw new IllegalArgumentException("no map op " + op);
        }
        return null;
    }

    private static String list(Context<String> ctx, ListStateSpec<String> spec, String op, String arg) {
        var list = ctx.listState(spec);
        switch (op) {
            case "add" -> list.add(arg);
            case "addall" -> list.addAll(elements(arg));
            case "set" -> list.update(elements(arg));
            case "clr" -> list.clear();
            case "get" -> {
                return list.get().toString();
            }
            default -> throw new IllegalArgumentException("no list op " + op);
        }
        return null;
    }

    static List<String> elements(String arg) {
        return arg.isEmpty() ? List.of() : Arrays.asList(arg.split(","));
    }

    private static String value(ValueState<Long> value, String op, String arg) {
        switch (op) {
            case "set" -> value.update(Long.parseLong(arg));
            case "clr" -> value.clear();
            case "get" -> {
                return String.valueOf(value.value());
            }
            default -> throw new IllegalArgumentException("no value op " + op);
        }
        return null;
    }
}
