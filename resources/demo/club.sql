-- The demo relational database of the embedded default project: a small chess and hiking club.
CREATE TABLE club (
  club_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT NOT NULL,
  founded DATE NOT NULL
);
CREATE TABLE member (
  member_id INTEGER PRIMARY KEY,
  club_id INTEGER NOT NULL REFERENCES club(club_id),
  full_name TEXT NOT NULL,
  join_date DATE NOT NULL,
  rating INTEGER
);
CREATE TABLE event (
  event_id INTEGER PRIMARY KEY,
  club_id INTEGER NOT NULL REFERENCES club(club_id),
  title TEXT NOT NULL,
  held_on DATE NOT NULL,
  fee REAL NOT NULL DEFAULT 0
);
CREATE TABLE attendance (
  event_id INTEGER NOT NULL REFERENCES event(event_id),
  member_id INTEGER NOT NULL REFERENCES member(member_id),
  PRIMARY KEY (event_id, member_id)
);
INSERT INTO club VALUES
  (1, 'Knight Riders', 'Hangzhou', '2015-03-01'),
  (2, 'Summit Walkers', 'Beijing', '2018-06-15'),
  (3, 'Rook & Roll', 'Shanghai', '2020-09-10');
INSERT INTO member VALUES
  (1, 1, 'Li Wei', '2019-04-02', 1850),
  (2, 1, 'Zhang Min', '2021-01-20', 1720),
  (3, 2, 'Anna Schmidt', '2018-07-01', NULL),
  (4, 2, 'Chen Jing', '2023-02-11', NULL),
  (5, 3, 'Omar Haddad', '2020-10-05', 2010),
  (6, 3, 'Wang Fang', '2023-05-30', 1600),
  (7, 1, 'Maria Rossi', '2023-08-14', 1500);
INSERT INTO event VALUES
  (1, 1, 'Spring Blitz', '2023-04-08', 20.0),
  (2, 2, 'Great Wall Hike', '2023-05-01', 35.5),
  (3, 3, 'Rapid Open', '2023-09-16', 15.0),
  (4, 1, 'Autumn Classic', '2023-10-21', 25.0);
INSERT INTO attendance VALUES (1, 1), (1, 2), (1, 7), (2, 3), (2, 4), (3, 5), (3, 6), (4, 1), (4, 7);
