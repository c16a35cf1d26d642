/**
 * Privacy requests ({@code POST/GET /v1/privacy/requests}, beside the debugger): erase, suppress or unsuppress one
 * player or device of one app. Writes the suppression list, runs every registered
 * {@link io.gameevents.privacy.ErasableStore} of every node for an erasure, keeps each request's state on disk so
 * an interrupted one resumes, and answers with its receipt. In a cluster an erasure travels in a signed cluster-wide
 * map ({@link io.gameevents.privacyrequests.ClusterErasures}), so a node that was down applies it when it is back.
 */
package io.gameevents.privacyrequests;
