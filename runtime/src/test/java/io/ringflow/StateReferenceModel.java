package io.ringflow;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * What {@link StateCommands} must emit, computed the plain way: per key, a tree map and a list
 * of (value, expiry) for each state, and a value. An event-time entry written by a record at
 * time w lives while the watermark (the latest time of the records before) is below w + TTL.
 * Map keys are single letters, whose byte order is their natural order.
 */
final class StateReferenceModel {

    private record Stamped(String value, long expiry) {
    }

    private final Map<String, Map<String, TreeMap<String, Stamped>>> maps = new HashMap<>();
    private final Map<String, Map<String, List<Stamped>>> lists = new HashMap<>();
    private final Map<String, Map<String, Stamped>> values = new HashMap<>();
    private long watermark = Long.MIN_VALUE;

    /**
     * {@code count} commands over {@code keys} keys (named so that some are prefixes of others),
     * with times rising by 0 to 9 ms and now and then one up to 150 ms behind (late); no
     * processing-time state, so any run of them is deterministic.
     */
    static List<String> commands(long seed, int count, int keys) {
        Random random = new Random(seed);
        String[] ops = {"put", "put", "put", "get", "rem", "has", "all", "keys", "vals", "empty", "clr"};
        String[] listOps = {"add", "add", "add", "addall", "get", "get", "set", "clr"};
        List<String> commands = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < count; i++) {
            time += random.nextInt(10);
            long at = random.nextInt(20) == 0 ? Math.max(0, time - random.nextInt(150)) : time;
            String key = "k".repeat(1 + random.nextInt(keys));
            String state = new String[] {"m", "tm", "l", "tl", "v", "tv"}[random.nextInt(6)];
            String letter = String.valueOf((char) ('a' + random.nextInt(5)));
            String command = switch (state) {
                case "m", "tm" -> {
                    String op = ops[random.nextInt(ops.length)];
                    yield state + "." + op + (op.equals("put") ? "=" + letter + "=" + random.nextInt(100)
                            : op.equals("get") || op.equals("rem") || op.equals("has") ? "=" + letter : "");
                }
                case "l", "tl" -> {
                    String op = listOps[random.nextInt(listOps.length)];
                    yield state + "." + op + (op.equals("add") ? "=" + letter
                            : op.equals("addall") || op.equals("set")
                            ? "=" + letter + "," + i + (i % 3 == 0 ? "" : ",z")
                            : "");
                }
                default -> state + "." + new String[] {"set", "set", "get", "clr"}[random.nextInt(4)];
            };
            if (command.endsWith(".set") && (state.equals("v") || state.equals("tv"))) {
                command += "=" + random.nextInt(100);
            }
            commands.add(key + "@" + at + ":" + command);
        }
        return commands;
    }

    /** What the event's command emits ({@code null} if nothing), as "state.op=result". */
    String apply(String event) {
        String key = StateCommands.key(event);
        long time = StateCommands.time(event);
        String command = event.substring(event.indexOf(':') + 1);
        String[] parts = command.split("=", 2);
        String arg = parts.length > 1 ? parts[1] : "";
        String state = parts[0].substring(0, parts[0].indexOf('.'));
        String op = parts[0].substring(parts[0].indexOf('.') + 1);
        long expiry = state.startsWith("t") ? time + StateCommands.TTL : Long.MAX_VALUE;
        String result = switch (state) {
            case "m", "tm" -> map(maps.computeIfAbsent(key, k -> new HashMap<>())
                    .computeIfAbsent(state, s -> new TreeMap<>()), op, arg, expiry);
            case "l", "tl" -> list(lists.computeIfAbsent(key, k -> new HashMap<>())
                    .computeIfAbsent(state, s -> new ArrayList<>()), op, arg, expiry);
            default -> value(values.computeIfAbsent(key, k -> new HashMap<>()), state, op, arg, expiry);
        };
        watermark = Math.max(watermark, time);
        return result == null ? null : parts[0] + "=" + result;
    }

    private boolean live(Stamped stamped) {
        return stamped != null && stamped.expiry() > watermark;
    }

    private String map(TreeMap<String, Stamped> map, String op, String arg, long expiry) {
        map.values().removeIf(stamped -> !live(stamped)); // as cleanup and reads both do
        String[] kv = arg.split("=", 2);
        switch (op) {
            case "put" -> map.put(kv[0], new Stamped(kv[1], expiry));
            case "rem" -> map.remove(arg);
            case "clr" -> map.clear();
            case "get" -> {
                return map.containsKey(arg) ? map.get(arg).value() : "null";
            }
            case "has" -> {
                return String.valueOf(map.containsKey(arg));
            }
            case "all" -> {
                List<Map.Entry<String, String>> entries = new ArrayList<>();
                map.forEach((k, v) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(k, v.value())));
                return entries.toString();
            }
            case "keys" -> {
                return new ArrayList<>(map.keySet()).toString();
            }
            case "vals" -> {
                return map.values().stream().map(Stamped::value).toList().toString();
            }
            case "empty" -> {
                return String.valueOf(map.isEmpty());
            }
            default -> throw new IllegalArgumentException(op);
        }
        return null;
    }

    private String list(List<Stamped> list, String op, String arg, long expiry) {
        list.removeIf(stamped -> !live(stamped));
        switch (op) {
            case "add" -> list.add(new Stamped(arg, expiry));
            case "addall" -> StateCommands.elements(arg).forEach(e -> list.add(new Stamped(e, expiry)));
            case "set" -> {
                list.clear();
                StateCommands.elements(arg).forEach(e -> list.add(new Stamped(e, expiry)));
            }
            case "clr" -> list.clear();
            case "get" -> {
                return list.stream().map(Stamped::value).toList().toString();
            }
            default -> throw new IllegalArgumentException(op);
        }
        return null;
    }

    private String value(Map<String, Stamped> values, String state, String op, String arg, long expiry) {
        if (!live(values.get(state))) {
            values.remove(state);
        }
        switch (op) {
            case "set" -> values.put(state, new Stamped(arg, expiry));
            case "clr" -> values.remove(state);
            case "get" -> {
                return values.containsKey(state) ? values.get(state).value() : "null";
            }
            default -> throw new IllegalArgumentException(op);
        }
        return null;
    }

    /**
     * Store entries state {@code state} (without a TTL) holds: map entries, list elements plus
     * one per non-empty list (its sequence), values.
     */
    long stored(String state) {
        long entries = 0;
        for (Map<String, TreeMap<String, Stamped>> byState : maps.values()) {
            entries += byState.getOrDefault(state, new TreeMap<>()).size();
        }
        for (Map<String, List<Stamped>> byState : lists.values()) {
            int size = byState.getOrDefault(state, List.of()).size();
            entries += size == 0 ? 0 : size + 1;
        }
        for (Map<String, Stamped> byState : values.values()) {
            entries += byState.containsKey(state) ? 1 : 0;
        }
        return entries;
    }
}
