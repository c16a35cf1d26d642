/**
 * Privacy requests ({@code POST/GET /v1/privacy/requests}, beside the debugger): erase, suppress or unsuppress one
 * player or device of one app. Writes the suppression list, runs every registered
 * {@link io.gameevents.privacy.ErasableStore} of every node for an erasure, keeps each request's state on disk so
 * an interrupted one resumes, and answers with its receipt.
 */
package io.gameevents.privacyrequests;
