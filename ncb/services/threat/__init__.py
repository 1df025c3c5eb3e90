"""The threat picture: trends by crime area, country and route over time (trends), and the
bureau's year in numbers (year). Counts are over records the reader may see."""
