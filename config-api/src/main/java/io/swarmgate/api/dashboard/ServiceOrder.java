package io.swarmgate.api.dashboard;

import io.swarmgate.api.metrics.TrafficHistory;
import io.swarmgate.config.ServiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Takes a dashboard page from the services in the order it asks for. Only the services with requests in the charts'
 * window are sorted (by their requests, or by their 5xx answers then requests, then by name); the others follow in name
 * order. Those are found in the name-ordered list by binary search, and the others are read from its start only as far
 * as the page reaches, so an early page costs a sort of the services that had traffic, not a pass over every service.
 */
final class ServiceOrder {
    private ServiceOrder() {
    }

    /** @param matching the services a search left, in name order, as the registry lists them */
    static List<ServiceSpec> page(List<ServiceSpec> matching, StateQuery query, TrafficHistory traffic) {
        if (query.sort() == StateQuery.Sort.NAME) {
            return query.page(matching);
        }
        Map<String, TrafficHistory.Recent> recent = traffic.recent();
        List<ServiceSpec> ranked = new ArrayList<>(recent.size());
        recent.keySet().forEach(name -> {
            int at = indexOf(matching, name);
            if (at >= 0) {
                ranked.add(matching.get(at));
            }
        });
        ranked.sort(Comparator.comparing((ServiceSpec service) -> recent.get(service.serviceName()),
                order(query.sort())).thenComparing(ServiceSpec::serviceName));

        List<ServiceSpec> page = new ArrayList<>(query.limit());
        for (int i = query.from(); i < ranked.size() && page.size() < query.limit(); i++) {
            page.add(ranked.get(i));
        }
        int skipped = Math.max(0, query.from() - ranked.size()); // of the services without traffic
        for (int i = 0; i < matching.size() && page.size() < query.limit(); i++) {
            ServiceSpec service = matching.get(i);
            if (!recent.containsKey(service.serviceName()) && skipped-- <= 0) {
                page.add(service);
            }
        }
        return page;
    }

    /** Most first. */
    private static Comparator<TrafficHistory.Recent> order(StateQuery.Sort sort) {
        Comparator<TrafficHistory.Recent> busiest = Comparator.comparingDouble(TrafficHistory.Recent::requests);
        return (sort == StateQuery.Sort.ERRORS
                ? Comparator.comparingDouble(TrafficHistory.Recent::errors).thenComparing(busiest) : busiest)
                .reversed();
    }

    /** The position of the service named {@code name} in {@code byName}, or a negative number. */
    private static int indexOf(List<ServiceSpec> byName, String name) {
        int low = 0;
        int high = byName.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int comparison = byName.get(middle).serviceName().compareTo(name);
            if (comparison < 0) {
                low = middle + 1;
            } else if (comparison > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }
}
