"""City scale: the board reads who is on scene without reading every response.

- responses_on_scene: a redraw of the board lists everyone on scene (confirmed or not) and
  only the first few of each waiting group; this index finds the ones on scene directly,
  instead of a scan of all of a callout's responses (26,300 on the worst night).
"""

SCALE_BOARD = """
CREATE INDEX responses_on_scene ON responses(callout_id, on_scene_at);
"""
