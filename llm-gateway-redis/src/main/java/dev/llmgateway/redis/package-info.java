/**
 * Rate limits and budgets shared by every JVM that talks to one Redis (or Redis Cluster): stores
 * on Lettuce, atomic Lua scripts, fail-fast clients ({@link dev.llmgateway.redis.RedisClients}).
 */
@NullMarked
package dev.llmgateway.redis;

import org.jspecify.annotations.NullMarked;
