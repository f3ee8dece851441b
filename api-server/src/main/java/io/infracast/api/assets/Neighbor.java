package io.infracast.api.assets;

/** A node next to another, the edge between them, and whether that edge leaves ({@code out}) or enters it. */
public record Neighbor(String direction, Edge edge, Node node) {}
