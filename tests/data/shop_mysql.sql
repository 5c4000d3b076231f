-- The "shop" test database for MariaDB/MySQL. Keep in step with shop_postgres.sql.
CREATE TABLE customer (
  customer_id int PRIMARY KEY,
  name text NOT NULL,
  city text COMMENT 'City of residence'
) COMMENT 'People who buy';
CREATE TABLE product (
  product_id int PRIMARY KEY,
  title varchar(64) NOT NULL,
  price decimal(8,2) NOT NULL
);
CREATE TABLE orders (
  order_id int PRIMARY KEY,
  customer_id int NOT NULL,
  ordered_on date NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customer(customer_id)
);
CREATE TABLE order_line (
  order_id int NOT NULL,
  product_id int NOT NULL,
  quantity int NOT NULL,
  PRIMARY KEY (order_id, product_id),
  FOREIGN KEY (order_id) REFERENCES orders(order_id),
  FOREIGN KEY (product_id) REFERENCES product(product_id)
);
INSERT INTO customer VALUES (1, 'Ada', 'London'), (2, 'Bo', NULL), (3, 'Chen', 'Hangzhou'), (4, 'Dana', 'Berlin');
INSERT INTO product VALUES (10, 'Kettle', 25.50), (11, 'Teapot', 12.00), (12, 'Mug', 4.25);
INSERT INTO orders VALUES (100, 1, '2024-01-05'), (101, 3, '2024-02-11'), (102, 1, '2024-03-20');
INSERT INTO order_line VALUES (100, 10, 1), (100, 12, 4), (101, 11, 2), (102, 12, 6);
