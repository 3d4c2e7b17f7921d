package io.ringflow.samples.trading;

/**
 * An order and its fill within the desk's time limit (the interval join), or the order alone
 * once the limit has passed without one ({@code filled} false, the fill fields zero).
 */
public record OrderFill(String orderId, String symbol, String trader, long orderTime, boolean filled, long fillTime,
                        double fillPrice, long millisToFill) {

    static OrderFill of(Order order, Fill fill) {
        if (fill == null) {
            return new OrderFill(order.orderId(), order.symbol(), order.trader(), order.eventTime(), false, 0, 0, 0);
        }
        return new OrderFill(order.orderId(), order.symbol(), order.trader(), order.eventTime(), true, fill.eventTime(),
                fill.price(), fill.eventTime() - order.eventTime());
    }
}
