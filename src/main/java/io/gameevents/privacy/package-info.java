/**
 * Player privacy: the subject of a request, the stores that can erase it, and the suppression check. The bottom of
 * the layering beside {@code config}: stages implement {@link io.gameevents.privacy.ErasableStore} and read
 * {@link io.gameevents.privacy.Suppressions}; nothing here imports a stage.
 */
package io.gameevents.privacy;
