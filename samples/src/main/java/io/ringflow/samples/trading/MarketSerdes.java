package io.ringflow.samples.trading;

import io.ringflow.state.Serde;
import io.ringflow.state.Serdes;

/** How the joins keep market events in RocksDB: their fields, in order, no schema. */
final class MarketSerdes {

    static final Serde<Trade> TRADE = Serdes.of("Trade", (t, out) -> {
        out.writeUTF(t.symbol());
        out.writeUTF(t.trader());
        out.writeDouble(t.price());
        out.writeLong(t.qty());
        out.writeLong(t.eventTime());
    }, in -> new Trade(in.readUTF(), in.readUTF(), in.readDouble(), in.readLong(), in.readLong()));

    static final Serde<Quote> QUOTE = Serdes.of("Quote", (q, out) -> {
        out.writeUTF(q.symbol());
        out.writeDouble(q.bid());
        out.writeDouble(q.ask());
        out.writeLong(q.eventTime());
    }, in -> new Quote(in.readUTF(), in.readDouble(), in.readDouble(), in.readLong()));

    static final Serde<Instrument> INSTRUMENT = Serdes.of("Instrument", (i, out) -> {
        out.writeUTF(i.symbol());
        out.writeUTF(i.sector());
        out.writeInt(i.lotSize());
        out.writeLong(i.eventTime());
    }, in -> new Instrument(in.readUTF(), in.readUTF(), in.readInt(), in.readLong()));

    static final Serde<Order> ORDER = Serdes.of("Order", (o, out) -> {
        out.writeUTF(o.orderId());
        out.writeUTF(o.symbol());
        out.writeUTF(o.trader());
        out.writeLong(o.qty());
        out.writeLong(o.eventTime());
    }, in -> new Order(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong()));

    static final Serde<Fill> FILL = Serdes.of("Fill", (f, out) -> {
        out.writeUTF(f.orderId());
        out.writeUTF(f.symbol());
        out.writeDouble(f.price());
        out.writeLong(f.qty());
        out.writeLong(f.eventTime());
    }, in -> new Fill(in.readUTF(), in.readUTF(), in.readDouble(), in.readLong(), in.readLong()));

    private MarketSerdes() {
    }
}
