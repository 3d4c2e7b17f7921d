package io.ringflow.samples.trading;

import java.nio.charset.StandardCharsets;

/**
 * Market events as one line of text each, for Kafka topics: readable with
 * {@code kafka-console-consumer}, and no schema registry to run.
 *
 * <pre>
 * T,AAPL,trader-07,189.25,300,1700000000123     a trade: symbol, trader, price, quantity, event time
 * Q,AAPL,189.24,189.26,1700000000125            a quote: symbol, bid, ask, event time
 * O,O42,AAPL,trader-07,300,1700000000130       an order: id, symbol, trader, quantity, event time
 * F,O42,AAPL,189.26,300,1700000000410          a fill: order id, symbol, price, quantity, event time
 * I,AAPL,Technology,100,1700000000000          an instrument: symbol, sector, lot size, event time
 * </pre>
 *
 * Cost: one string split and a few number parses per event; a binary format would be
 * faster, and is not what a demo needs.
 */
public final class MarketEventCodec {

    private MarketEventCodec() {
    }

    public static String format(MarketEvent event) {
        if (event instanceof Trade t) {
            return "T," + t.symbol() + "," + t.trader() + "," + t.price() + "," + t.qty() + "," + t.eventTime();
        }
        if (event instanceof Quote q) {
            return "Q," + q.symbol() + "," + q.bid() + "," + q.ask() + "," + q.eventTime();
        }
        if (event instanceof Order o) {
            return "O," + o.orderId() + "," + o.symbol() + "," + o.trader() + "," + o.qty() + "," + o.eventTime();
        }
        if (event instanceof Instrument i) {
            return "I," + i.symbol() + "," + i.sector() + "," + i.lotSize() + "," + i.eventTime();
        }
        Fill f = (Fill) event;
        return "F," + f.orderId() + "," + f.symbol() + "," + f.price() + "," + f.qty() + "," + f.eventTime();
    }

    public static byte[] encode(MarketEvent event) {
        return format(event).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException naming the line if it is no market event */
    public static MarketEvent parse(String line) {
        String[] f = line.split(",");
        try {
            if (f.length == 6 && f[0].equals("T")) {
                return new Trade(f[1], f[2], Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
            }
            if (f.length == 5 && f[0].equals("Q")) {
                return new Quote(f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]));
            }
            if (f.length == 6 && f[0].equals("O")) {
                return new Order(f[1], f[2], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]));
            }
            if (f.length == 5 && f[0].equals("I")) {
                return new Instrument(f[1], f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]));
            }
            if (f.length == 6 && f[0].equals("F")) {
                return new Fill(f[1], f[2], Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a market event (bad number): '" + line + "'", e);
        }
        throw new IllegalArgumentException("not a market event: '" + line + "'; expected T,symbol,trader,price,qty,time,"
                + " Q,symbol,bid,ask,time, O,id,symbol,trader,qty,time, F,id,symbol,price,qty,time"
                + " or I,symbol,sector,lotSize,time");
    }

    public static MarketEvent decode(byte[] bytes) {
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }
}
